import os
print(os.environ['APP_ENV'])
