# nothing to build here

# really
