import os
RUN_DIR = os.path.join(os.sep, 'var', 'run', 'myapp')
