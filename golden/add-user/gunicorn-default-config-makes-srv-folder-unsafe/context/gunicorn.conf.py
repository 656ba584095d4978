import os
os.makedirs("/srv/gunicorn", exist_ok=True)
workers = 2
