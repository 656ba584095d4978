import os
rc = os.path.expanduser('~/.myapprc')
print(open(rc).read() if os.path.exists(rc) else 'no-rc')
