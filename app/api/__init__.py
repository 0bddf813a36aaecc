"""HTTP in and out: dependencies and thin route functions that validate, call a service, return a schema."""
