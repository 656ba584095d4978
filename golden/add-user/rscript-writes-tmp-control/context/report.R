x <- read.csv("data.csv")
write.csv(summary(x), "/tmp/summary.csv")
