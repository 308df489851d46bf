"""The reference apps `make bench` serves beside Hallway, the same way (gunicorn.conf.py)."""
