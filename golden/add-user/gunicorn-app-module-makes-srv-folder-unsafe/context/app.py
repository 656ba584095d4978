from flask import Flask
import os
os.makedirs("/srv/uploads", exist_ok=True)
app = Flask(__name__)
