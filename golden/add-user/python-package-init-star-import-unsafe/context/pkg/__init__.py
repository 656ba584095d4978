from .log import *
