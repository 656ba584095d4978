ARG V=18
FROM node:${V}-slim
