import os
LOG_DIR = "/srv/log"
os.makedirs(LOG_DIR, exist_ok=True)
application = None
