import os
DATA_DIR = os.environ.get("DATA_DIR", "/srv/data")
os.makedirs(DATA_DIR, exist_ok=True)
