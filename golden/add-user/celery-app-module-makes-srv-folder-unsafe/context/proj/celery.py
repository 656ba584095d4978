import os
os.makedirs("/srv/celery/results", exist_ok=True)
