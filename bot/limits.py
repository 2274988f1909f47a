"""Discord's limits on what a bot sends, in one place: render keeps to them, the sandbox enforces them.

https://discord.com/developers/docs/resources/message#embed-object-embed-limits,
https://discord.com/developers/docs/interactions/message-components,
https://discord.com/developers/docs/interactions/application-commands, and below for polls and events
"""

CONTENT = 2000  # characters of a message's text
EMBEDS = 10  # embeds in a message
EMBED_TOTAL = 6000  # characters of an embed: title, description, field names and values, footer, author
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FOOTER = 2048
EMBED_AUTHOR = 256
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
THREAD_NAME = 100

ROWS = 5  # action rows in a message
ROW_ITEMS = 5  # buttons in a row (a select takes a whole row)
CUSTOM_ID = 100
BUTTON_LABEL = 80
SELECT_OPTIONS = 25

COMMANDS = 100  # global slash commands
OPTIONS = 25  # of a command
CHOICES = 25  # of an option
COMMAND_NAME = 32
COMMAND_DESCRIPTION = 100

# https://discord.com/developers/docs/resources/poll, .../guild-scheduled-event
POLL_QUESTION = 300
POLL_ANSWERS = 10
POLL_ANSWER_TEXT = 55
POLL_HOURS = 32 * 24  # the longest a poll can run, through the API
EVENT_NAME = 100
EVENT_DESCRIPTION = 1000
EVENT_LOCATION = 100  # an external event's place
