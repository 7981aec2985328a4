from bigcommerce_emulator.cli import main

main()
