#!/bin/sh
npm install
exec node server.js
