import os
from settings import EXPORT_DIR
os.makedirs(EXPORT_DIR, exist_ok=True)
print("made", EXPORT_DIR)
