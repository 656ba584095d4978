from flask import Flask
open("/srv/flask.log", "a")
app = Flask(__name__)
