import os
password = open('/run/secrets/db_password').read() if os.path.exists('/run/secrets/db_password') else ''
print('ok')
