import os
os.makedirs("/srv/cache", exist_ok=True)
