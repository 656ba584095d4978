import os, sys
os.makedirs(sys.argv[2], exist_ok=True)
