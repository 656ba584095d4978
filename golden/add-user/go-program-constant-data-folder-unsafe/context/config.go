package main

const dataDir = "/srv/data"
