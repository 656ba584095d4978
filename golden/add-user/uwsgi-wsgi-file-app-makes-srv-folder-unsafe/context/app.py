import os
from flask import Flask
os.makedirs("/srv/uploads", exist_ok=True)
app = Flask(__name__)
