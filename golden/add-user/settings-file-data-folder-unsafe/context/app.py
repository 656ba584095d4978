import json, os
os.makedirs(json.load(open('config.json'))['data_dir'], exist_ok=True)
