from flask import Flask
import os
os.makedirs("instance", exist_ok=True)
app = Flask(__name__)

@app.route('/')
def index():
    return "ok"
