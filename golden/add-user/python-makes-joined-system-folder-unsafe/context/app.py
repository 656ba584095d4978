import os
os.makedirs(os.path.join("/opt/data", "x"), exist_ok=True)
