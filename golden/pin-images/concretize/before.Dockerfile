FROM node:18-slim
FROM node:20-slim
