import os
BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
d = os.path.join(BASE_DIR, 'data')
os.makedirs(d, exist_ok=True)
print('started', d)
