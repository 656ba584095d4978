console.log("src")
