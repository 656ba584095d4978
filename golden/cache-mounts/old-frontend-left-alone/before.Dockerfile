# syntax=docker/dockerfile:1.0
FROM node:18
RUN npm ci
