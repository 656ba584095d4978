import os
from flask import Flask
os.makedirs("/tmp/uploads", exist_ok=True)
app = Flask(__name__)
