from i18n_tool.cli import main

main()
