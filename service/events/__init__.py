"""Events: meetups and Networking Bingo, whose meetings become interactions."""
