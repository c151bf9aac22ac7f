import { ref } from 'vue'

/** A message the scoring screen leaves for the list it returns to (e.g. after a conflict). */
export const judgeNotice = ref<string | null>(null)
