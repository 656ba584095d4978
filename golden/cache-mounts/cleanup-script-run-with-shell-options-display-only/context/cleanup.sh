#!/bin/sh
rm -rf /root/.cache
