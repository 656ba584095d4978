// stands in for the Yarn release `yarn set version 4.5.3` writes
