import os
from settings import RUN_DIR
os.makedirs(RUN_DIR, exist_ok=True)
print('started')
