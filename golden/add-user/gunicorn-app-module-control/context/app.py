from flask import Flask
import os
os.makedirs("/tmp/uploads", exist_ok=True)
app = Flask(__name__)
