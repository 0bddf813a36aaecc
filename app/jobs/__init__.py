"""Where job items run: on a background thread of the API process, or in Dramatiq workers via RabbitMQ."""
