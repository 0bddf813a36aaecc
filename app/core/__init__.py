"""Cross-cutting pieces every layer may use: settings and domain errors."""
