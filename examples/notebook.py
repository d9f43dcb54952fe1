# %% [markdown]
# # An interview phase in a notebook
#
# Load the online shop engagement, generate the questions to ask, look at coverage, record an
# answer given during a call, and save. This file is a percent-format notebook (Jupytext,
# VS Code, PyCharm) and also runs as a plain script: `python examples/notebook.py`.

# %%
import tempfile
from pathlib import Path

import threat_interview as ti

HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path("examples")
engagement = ti.load(HERE / "engagements" / "online-shop.json")
engagement

# %% [markdown]
# ## The questions, in interview order
#
# `merge` writes them into the engagement; generating and merging again later keeps every
# answer.

# %%
questions = engagement.generate_questions()
print(engagement.merge(questions)["added"][:3])
records = questions.to_records()  # pandas.DataFrame(records) takes these as they are
records[0]["text"]

# %%
architect = questions.filter(role="architect", category="spoofing")
architect

# %% [markdown]
# ## Coverage: which STRIDE categories were asked about, for every element and flow

# %%
coverage = engagement.coverage()
print(coverage)
coverage.by_category

# %% [markdown]
# ## The agendas, within each interview's time box

# %%
plan = engagement.plan()
for interview in plan["interviews"]:
    print(interview["interview"], len(interview["agenda"]), "questions,",
          interview["minutes_used"], "of", interview["minutes_available"], "minutes")

# %% [markdown]
# ## Record an answer given during the call

# %%
first = engagement.agenda(plan["interviews"][0]["interview"])[0]
engagement.record_answer(
    first["id"],
    "Revenue comes from the shop alone; an outage in the sales season costs most.",
    by="ana-ferreira",
    at="2025-03-04",
    via="interview",
    reference=plan["interviews"][0]["interview"],
)
print(engagement.coverage())

# %% [markdown]
# ## Save, atomically

# %%
with tempfile.TemporaryDirectory() as directory:
    path = Path(directory) / "online-shop.json"
    engagement.save(path)
    assert ti.load(path) == engagement
    print("saved and reloaded", path.name, engagement.counts)
