#!/bin/sh
GOPROXY=off go build -o /hello .
