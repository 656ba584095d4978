import os
os.makedirs('data', exist_ok=True)
