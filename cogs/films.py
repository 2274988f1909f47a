"""/ask, /film, and questions asked by mentioning the bot or replying to its answers."""

from __future__ import annotations

import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot import checks
from bot.app import FilmBot
from bot.qa.answer import Answer
from bot.qa.catalog import FilmRef
from bot.qa.context import Context
from bot.qa.question import MAX_QUESTION_LENGTH
from bot.render.qa import ANSWER_FIELD, MENTION_HINT, answer_embed, asking_quickly, film_embed
from bot.repositories import FeatureStore
from cogs._options import FilmTitle

log = logging.getLogger(__name__)

# A few questions a member at once, then a pause (neither floods a channel), counted apart for
# mentions and for /ask, which a conversation of follow-ups uses more.
MENTION_RATE, ASK_RATE, PER = 5, 10, 60.0


class Films(commands.Cog, name="Films"):
    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        self.features: FeatureStore = bot.state.features
        self.cooldown = commands.CooldownMapping.from_cooldown(MENTION_RATE, PER, commands.BucketType.member)
        self.warned = commands.CooldownMapping.from_cooldown(1, PER, commands.BucketType.member)

    @app_commands.command(
        name="ask", description="Ask about a film in plain words, e.g. who directed Stalker?"
    )
    @app_commands.describe(question="Your question: director, year, cast, music, plot, facts...")
    @checks.per_member(ASK_RATE, PER)
    async def ask(
        self,
        interaction: discord.Interaction[FilmBot],
        question: app_commands.Range[str, 1, MAX_QUESTION_LENGTH],
    ) -> None:
        channel = interaction.channel
        context = await self._context(channel) if isinstance(channel, discord.abc.Messageable) else None
        answer = self._answer(question, interaction.channel_id, context)
        await interaction.response.send_message(embed=answer_embed(question, answer))

    @app_commands.command(name="film", description="Show a film's card: credits, synopsis and a fact.")
    @app_commands.describe(title="The film's title (pick one from the list)")
    async def film(
        self, interaction: discord.Interaction[FilmBot], title: app_commands.Transform[FilmRef, FilmTitle]
    ) -> None:
        ref = title
        self.bot.conversations.set(interaction.channel_id, Context(ref.id))  # "who directed it?" next
        club = (
            await self.bot.state.club.ratings(interaction.guild_id, ref.id) if interaction.guild_id else None
        )
        await interaction.response.send_message(embed=film_embed(self.bot.films.film(ref.id), club))

    # -- asking by mention or reply ------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """ "@filmbot who directed Seven Samurai?", or a reply to one of the bot's answers. Discord
        sends the content of these messages without the message-content intent."""
        me = self.bot.user
        if me is None or message.author.bot or message.guild is None:
            return
        replied = message.reference.resolved if message.reference else None
        answered = isinstance(replied, discord.Message) and replied.author.id == me.id and is_answer(replied)
        mention = re.compile(rf"<@!?{me.id}>")
        if not (answered or mention.search(message.content)):
            return  # a reply to a trivia question, say, pings the bot but asks it nothing
        question = mention.sub(" ", message.content).strip()
        if not question:
            if message.content:  # the mention alone (an empty content is a reply the bot cannot read)
                await self._reply(message, content=MENTION_HINT.format(me=me.mention))
            return
        if self.cooldown.update_rate_limit(message):
            if not self.warned.update_rate_limit(message):
                bucket = self.cooldown.get_bucket(message)
                retry = bucket.get_retry_after() if bucket else 0.0
                await self._reply(message, content=asking_quickly(retry))
            return
        context = (
            self._context_of_answer(replied) if answered and isinstance(replied, discord.Message) else None
        )
        context = context or await self._context(message.channel)
        answer = self._answer(question, message.channel.id, context)
        await self._reply(message, embed=answer_embed(question, answer))

    async def _reply(
        self, message: discord.Message, *, content: str | None = None, embed: discord.Embed | None = None
    ) -> None:
        """Reply, or post plainly where replies are not allowed (no Read Message History)."""
        me = message.guild.me if message.guild else None  # None in a DM, where replies are allowed
        try:
            if me is None or message.channel.permissions_for(me).read_message_history:
                try:
                    await message.reply(content=content, embed=embed, mention_author=False)  # type: ignore[arg-type]  # None: none, to discord.py
                    return
                except discord.Forbidden:  # the permission went without the bot hearing of it
                    log.info("no reply in %s (Read Message History?); posting plainly", message.channel.id)
            await message.channel.send(content=content, embed=embed)  # type: ignore[arg-type]  # as above
        except discord.HTTPException as exc:  # a lost permission or a deleted channel: nobody to tell
            log.info("could not answer message %s in %s: %s", message.id, message.channel.id, exc)

    # -- context -------------------------------------------------------------------------------------

    def _answer(self, question: str, channel_id: int | None, context: Context | None) -> Answer:
        with self.bot.metrics.answer_seconds.time():
            answer = self.bot.answerer.answer(question, context)
        if channel_id is not None:
            self.bot.conversations.remember(channel_id, answer, context)
        return answer

    async def _context(self, channel: discord.abc.Messageable) -> Context | None:
        """What the channel was last talking about; in a feature's discussion thread, its film."""
        channel_id = getattr(channel, "id", None)
        context = self.bot.conversations.get(channel_id)
        if context is None and isinstance(channel, discord.Thread) and channel.guild is not None:
            # A thread started from a message has the message's id: the feature post's.
            film_id = await self.features.film_of_post(channel.guild.id, channel.id)
            if film_id is not None and self.bot.films.ref(film_id) is not None:
                context = Context(film_id)
        return context

    def _context_of_answer(self, answer: discord.Message) -> Context | None:
        """The film (or person) one of the bot's answers was about, from its embed's title."""
        title = answer.embeds[0].title if answer.embeds else None
        if not title:
            return None
        ref = self.bot.films.find(title)
        if ref is not None:
            return Context(ref.id)
        return Context(person=title) if self.bot.films.is_person(title) else None


def is_answer(message: discord.Message) -> bool:
    """Whether one of the bot's messages is an answer to a question (not a trivia round, say)."""
    return bool(message.embeds) and any(f.name == ANSWER_FIELD for f in message.embeds[0].fields)


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(Films(bot))
