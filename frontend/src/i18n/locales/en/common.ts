import type { CommonMessages } from '../id/common'

const messages: CommonMessages = {
  app: {
    name: 'KIPP',
    fullName: 'Public Service Innovation Competition',
    skipToContent: 'Skip to content',
    loading: 'Loading…',
    retry: 'Try again',
  },
  common: {
    cancel: 'Cancel',
    save: 'Save',
    saving: 'Saving…',
    edit: 'Edit',
    delete: 'Delete',
    close: 'Close',
    create: 'Add',
    optional: '(optional)',
    none: '—',
    yes: 'Yes',
    no: 'No',
    actions: 'Actions',
    all: 'All',
    filter: 'Filter',
    total: '{n} records',
  },
  nav: {
    label: 'Main navigation',
    home: 'Home',
    innovator: 'My proposals',
    agencyUsers: 'Agency innovators',
    judge: 'Scoring',
    admin: 'Admin',
    account: 'My account',
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
  placeholder: {
    pending: 'This screen is being prepared.',
  },
  errors: {
    server: 'The server is having trouble (code {status}). Please try again shortly.',
    network: 'Cannot reach the server. Check your connection and try again.',
    unknown: 'Something unexpected went wrong.',
    fields: 'Please check these fields:',
    requestId: 'Request id',
    copy: 'Copy',
    copied: 'Copied',
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

export default messages
