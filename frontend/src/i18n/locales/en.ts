import type { Messages } from './id'

const en: Messages = {
  app: {
    name: 'KIPP',
    fullName: 'Public Service Innovation Competition',
    skipToContent: 'Skip to content',
    loading: 'Loading…',
    retry: 'Try again',
  },
  nav: {
    label: 'Main navigation',
    home: 'Home',
    innovator: 'My proposals',
    judge: 'Scoring',
    admin: 'Admin',
    login: 'Sign in',
    logout: 'Sign out',
    signedInAs: 'Signed in as {name}',
  },
  language: {
    label: 'Language',
    id: 'Bahasa Indonesia',
    en: 'English',
  },
  roles: {
    admin: 'Organising team',
    agency_admin: 'Agency admin',
    judge: 'Judge',
    innovator: 'Innovator',
  },
  stages: {
    submission: 'Proposal submission',
    administrative: 'Administrative selection',
    presentation: 'Presentation and scoring',
    nomination: 'Nomination',
    announcement: 'Announcement',
  },
  levels: {
    kabupaten: 'Regency',
    provinsi: 'Province',
    nasional: 'National',
  },
  login: {
    title: 'Sign in',
    intro: 'Sign in with the account the organising team gave you.',
    email: 'E-mail',
    password: 'Password',
    showPassword: 'Show password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    demoTitle: 'Demo accounts',
    demoHint: 'Demo data is loaded. Pick an account to fill in the form.',
  },
  home: {
    title: 'Published competitions',
    empty: 'No competition has been published yet.',
    currentStage: 'Current stage',
    window: '{start} to {end}',
    topN: 'TOP {n}',
  },
  innovator: {
    title: 'My proposals',
  },
  judge: {
    title: 'My scoring',
  },
  admin: {
    title: 'Organising team dashboard',
  },
  placeholder: {
    pending: 'This screen is being prepared.',
  },
  notFound: {
    title: 'Page not found',
    body: 'The address you opened does not exist or has moved.',
    back: 'Back to the home page',
  },
  errors: {
    server: 'The server is having trouble (code {status}). Please try again shortly.',
    network: 'Cannot reach the server. Check your connection and try again.',
    unknown: 'Something unexpected went wrong.',
    fields: 'Please check these fields:',
  },
  wordCount: {
    count: '{count} of {limit} words',
    countNoLimit: '{count} words',
    over: '{over} words over the limit',
  },
  weights: {
    total: 'Total weight: {total}%',
    complete: 'The weights add up to 100%.',
    incomplete: 'The weights must add up to 100% (off by {diff}%).',
  },
  autosave: {
    saved: 'Saved',
    saving: 'Saving…',
    pending: 'Unsaved changes',
    offline: 'Offline: your changes are saved automatically when the connection returns',
    error: 'Could not save; your changes are kept',
  },
}

export default en
