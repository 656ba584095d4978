import os
BASE_DIR = os.path.dirname(os.path.abspath(__file__))
LOGGING = {'version': 1, 'handlers': {'file': {'class': 'logging.FileHandler', 'filename': os.path.join(BASE_DIR, 'app.log')}}, 'root': {'handlers': ['file'], 'level': 'INFO'}}
