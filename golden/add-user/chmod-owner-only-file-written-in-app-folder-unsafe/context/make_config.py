import json; print(json.dumps({"name": "cfg"}))
