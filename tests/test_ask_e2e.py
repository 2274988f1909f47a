"""End to end: questions as members ask them in a channel: follow-ups, mentions, replies, threads."""

from __future__ import annotations

from typing import Any

from bot.sandbox.messages import Message
from bot.sandbox.model import READ_MESSAGE_HISTORY, Overwrite
from cogs.films import ASK_RATE, MENTION_RATE
from tests.conftest import Running


async def ask(running: Running, channel: Any, question: str, member: Any = None) -> dict[str, Any]:
    interaction = await running.sandbox.slash(channel, member or running.demo.ana, "ask", question=question)
    (embed,) = interaction.reply.embeds
    return embed


async def test_a_conversation_of_five_follow_ups_in_one_channel(running: Running) -> None:
    demo = running.demo
    first = await ask(running, demo.film_club, "who directed vertigo")
    assert first["title"] == "Vertigo (1958)" and "Alfred Hitchcock" in first["description"]
    follow_ups = [
        ("what year was that", "1958"),
        ("and who wrote it?", "Samuel A. Taylor"),
        ("and the music?", "Bernard Herrmann"),
        ("who plays scottie", "James Stewart"),
        ("what else did hitchcock direct", "Psycho (1960)"),
    ]
    for question, expected in follow_ups:
        embed = await ask(running, demo.film_club, question)
        assert expected in embed["description"], (question, embed["description"])
        assert embed["title"] != "I don't know" and "footer" in embed  # answered, with its source
    # The person answer is titled with the person, not "I don't know".
    assert embed["title"] == "Alfred Hitchcock"


async def test_the_same_pronoun_in_another_channel_is_not_read_against_the_first(running: Running) -> None:
    demo = running.demo
    await ask(running, demo.film_club, "who directed Stalker?")
    here = await ask(running, demo.film_club, "when was it released")
    assert "25 May 1979" in here["description"]
    elsewhere = await ask(running, demo.general, "when was it released", member=demo.boris)
    assert elsewhere["title"] == "I don't know" and "Stalker" not in elsewhere["description"]


async def test_a_mention_and_a_reply_to_the_answer(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    asked = await sandbox.say(
        demo.film_club, demo.ana, f"<@{sandbox.bot_user.id}> who directed Seven Samurai?"
    )
    answer = await sandbox.reply_to(asked)
    assert answer.embeds[0]["title"] == "Seven Samurai (1954)"
    assert "Akira Kurosawa" in answer.embeds[0]["description"]
    assert not answer.pings_anyone()  # a reply that does not ping the member
    # A reply to the answer is a follow-up about its film, even after another channel's talk.
    await ask(running, demo.film_club, "who directed Stalker?", member=demo.boris)
    follow_up = await sandbox.say(demo.film_club, demo.ana, "and what year did it come out?", reply_to=answer)
    reply = await sandbox.reply_to(follow_up)
    assert reply.embeds[0]["title"] == "Seven Samurai (1954)" and "1954" in reply.embeds[0]["description"]
    # The bare mention gets a hint; text that neither mentions nor replies is left alone.
    hint = await sandbox.reply_to(await sandbox.say(demo.general, demo.ana, f"<@{sandbox.bot_user.id}>"))
    assert hint.content.startswith("Ask me about a film")
    await sandbox.say(demo.general, demo.ana, "who directed Stalker?")
    await sandbox.say(demo.general, demo.ana, "@filmbot is not a mention when typed as text")
    last = await sandbox.reply_to(
        await sandbox.say(demo.general, demo.ana, f"<@{sandbox.bot_user.id}> who directed Ran?")
    )
    # Events arrive in order: had the two plain messages been answered, those answers would be here.
    assert [m for m in sandbox.channel_messages(demo.general) if m.author.bot] == [hint, last]


async def test_a_mention_without_read_message_history_is_answered_without_the_reply(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    bot_role = next(r for r in demo.guild.roles.values() if r.name == sandbox.bot_user.name)
    demo.general.overwrites.append(Overwrite(bot_role.id, 0, deny=READ_MESSAGE_HISTORY))
    asked = await sandbox.say(demo.general, demo.ana, f"<@{sandbox.bot_user.id}> who directed Ran?")
    await sandbox.wait_for(
        lambda: any(m.author.bot and m.embeds for m in sandbox.channel_messages(demo.general))
    )
    (answer,) = [m for m in sandbox.channel_messages(demo.general) if m.author.bot]
    assert answer.reference is None and "Akira Kurosawa" in answer.embeds[0]["description"]
    assert asked.id != answer.id


async def test_mentions_are_rate_limited_per_member_with_one_warning(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    me = f"<@{sandbox.bot_user.id}>"
    for _ in range(MENTION_RATE):
        answered = await sandbox.reply_to(
            await sandbox.say(demo.general, demo.ana, f"{me} who directed Stalker?")
        )
        assert answered.embeds
    warning = await sandbox.reply_to(await sandbox.say(demo.general, demo.ana, f"{me} who directed Solaris?"))
    assert warning.content.startswith("You're asking quickly: try again in")
    await sandbox.say(demo.general, demo.ana, f"{me} who directed Mirror?")  # no second warning
    other = await sandbox.reply_to(await sandbox.say(demo.general, demo.boris, f"{me} who directed Mirror?"))
    assert "Andrei Tarkovsky" in other.embeds[0]["description"]  # another member is not limited
    replies = [m for m in sandbox.channel_messages(demo.general) if m.author.bot]
    assert len(replies) == MENTION_RATE + 1 + 1


async def test_ask_is_rate_limited_per_member_with_a_sentence_to_them_alone(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    for _ in range(ASK_RATE):
        await ask(running, demo.general, "who directed Stalker?")
    refused = (await sandbox.slash(demo.general, demo.ana, "ask", question="who directed Solaris?")).reply
    assert refused.ephemeral and not refused.embeds
    assert refused.content.startswith("Slow down: try again in ") and refused.content.endswith(" seconds.")
    other = await ask(running, demo.general, "who directed Solaris?", member=demo.boris)
    assert "Andrei Tarkovsky" in other["description"]  # another member is not limited


async def test_a_feature_threads_film_is_its_context(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    schedule = {"channel": demo.film_club, "time": "09:00", "timezone": "UTC"}
    await sandbox.slash(demo.general, demo.you, "feature schedule", **schedule)
    await sandbox.slash(demo.general, demo.you, "feature queue", title="stalker-1979")
    await sandbox.slash(demo.general, demo.you, "feature now")
    await sandbox.wait_for(lambda: any(c.type == 11 for c in demo.guild.channels.values()))
    (thread,) = [c for c in demo.guild.channels.values() if c.type == 11]
    embed = await ask(running, thread, "who directed it?")
    assert embed["title"] == "Stalker (1979)" and "Andrei Tarkovsky" in embed["description"]
    asked: Message = await sandbox.say(
        thread, demo.boris, f"<@{sandbox.bot_user.id}> and who wrote the music"
    )
    assert "Eduard Artemyev" in (await sandbox.reply_to(asked)).embeds[0]["description"]


async def test_help_tells_how_to_ask_by_mention(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    (embed,) = (await sandbox.slash(demo.general, demo.ana, "help")).reply.embeds
    films = next(f["value"] for f in embed["fields"] if f["name"] == "Films")
    assert "`@filmbot <question>` — ask in the channel; reply to an answer to follow it up" in films


async def test_he_and_it_follow_the_conversation(running: Running) -> None:
    demo = running.demo
    await ask(running, demo.film_club, "who directed vertigo")
    await ask(running, demo.film_club, "and the music?")  # Bernard Herrmann, who directed nothing
    directed = await ask(running, demo.film_club, "what else did he direct")
    assert directed["title"] == "Alfred Hitchcock" and "Vertigo" not in directed["description"]
    await ask(running, demo.film_club, "who plays harry lime in the third man")
    himself = await ask(running, demo.film_club, "what did he direct himself")
    assert himself["title"] == "Orson Welles" and "Citizen Kane (1941)" in himself["description"]
    # An award of a year is no question about the film being discussed.
    palme = await ask(running, demo.film_club, "who won the palme d'or in 1979")
    assert palme["title"] == "Apocalypse Now (1979)" and "shared the Palme d'Or" in palme["description"]
    won = await ask(running, demo.film_club, "did it win an oscar?")
    assert won["title"] == "Apocalypse Now (1979)" and "Best Cinematography" in won["description"]
