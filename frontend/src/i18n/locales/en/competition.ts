import type { CompetitionMessages } from '../id/competition'

const messages: CompetitionMessages = {
  competition: {
    backHome: 'Back to the home page',
    unavailable: 'Competition unavailable',
    topN: 'TOP {n}',
    timeline: 'Stages',
    currentStage: 'Current stage: {stage}',
    timezone: 'Times in the {zone} time zone',
    groups: {
      umum: 'General',
      replikasi: 'Replication',
      khusus: 'Special',
    },
    schedule: {
      title: 'Presentation schedule',
      intro: 'The order in which the innovations are presented to the panel; times in {zone}.',
      download: 'Download the calendar (.ics)',
      break: 'Break',
      yours: 'Your presentation',
    },
    innovations: {
      title: 'Innovations that passed the administrative selection',
      notYet: 'The innovations that passed the administrative selection are listed once the presentation stage begins.',
      count: '{n} innovations',
      showSummary: 'Read the public summary',
      hideSummary: 'Close the summary',
      noSummary: 'This competition opens no proposal section to the public.',
    },
    results: {
      title: 'The announced TOP {n}',
      final: 'Final',
      provisional: 'Provisional, open to objections',
      announcedAt: 'Announced {at}.',
      rank: 'Rank {rank}',
      honourable: 'Honourable mentions',
      objectionPeriod: 'Objection period (public review): {start} to {end}.',
      manifest: 'Fingerprint (SHA-256) of the scoring record frozen when the decision was made:',
    },
    objection: {
      title: 'File an objection',
      intro:
        'During the objection period anyone may object to an announced innovation. The organising team reviews every objection.',
      innovation: 'Innovation objected to',
      choose: 'Choose an innovation',
      name: 'Your name',
      email: 'Your e-mail',
      emailHint: 'Only for the organising team to reach you; never published.',
      text: 'Your objection',
      textHint: 'Explain your objection and your evidence ({min} to {max} characters).',
      count: '{count} of {max} characters',
      submit: 'Send the objection',
      sending: 'Sending…',
      received: 'Objection received',
      receipt: 'Receipt number: {id}. Keep this number.',
    },
  },
  timeline: {
    state: {
      past: 'Done',
      current: 'In progress',
      upcoming: 'Upcoming',
    },
    open: 'the window is open',
    closed: 'the window has closed',
    notYetOpen: 'the window has not opened yet',
  },
}

export default messages
