"""Infrastructure shared by the services: live-event broker, rate limits, metrics, logging."""
