# syntax=docker/dockerfile:1
FROM node:18
