from d2c.entry import main

main()
