"""In-app notices, real-time push and email: who hears about what, and how."""
