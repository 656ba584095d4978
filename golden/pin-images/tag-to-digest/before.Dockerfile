FROM node:18-slim
CMD ["node"]
