import type { PublicMessages } from '../id/public'

const messages: PublicMessages = {
  login: {
    title: 'Sign in',
    intro: 'Sign in with the account the organising team gave you.',
    email: 'E-mail',
    password: 'Password',
    showPassword: 'Show password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    demoTitle: 'Demo accounts',
    forgot: 'Forgot your password?',
    passwordSet: 'Your password is set. Please sign in.',
    demoHint: 'Demo data is loaded. Pick an account to fill in the form.',
  },
  home: {
    title: 'Published competitions',
    empty: 'No competition has been published yet.',
    currentStage: 'Current stage',
    window: '{start} to {end}',
    topN: 'TOP {n}',
    catalogue: 'Search innovations from every organiser and year: titles, summaries, sustainability, replications.',
    filter: 'Filter the competitions',
    organisation: 'Organisation',
    everyOrganisation: 'Every organisation',
    level: 'Level',
    everyLevel: 'Every level',
  },
  notFound: {
    title: 'Page not found',
    body: 'The address you opened does not exist or has moved.',
    back: 'Back to the home page',
  },
}

export default messages
